"""E-mail the plugin sends: badge awarded, assessment reviews."""
