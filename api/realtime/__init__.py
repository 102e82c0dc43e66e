"""Live events: the broker that carries them between workers, and publishing after commit."""
