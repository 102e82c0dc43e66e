"""Who may see what: the viewer, their access scope, and the rules every read goes through."""
