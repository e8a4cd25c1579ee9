"""Mentors: the plugin's own review queue, who mentors whom, the dashboard's figures, reminders."""
