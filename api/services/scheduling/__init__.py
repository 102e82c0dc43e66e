"""Scheduling: availability, booking and its policy, attendance, calendar, reminders,
pre-session questionnaires and the waitlist. Each module is one of those rules."""
