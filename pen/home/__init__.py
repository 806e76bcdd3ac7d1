"""The member's home: dashboard, activity feed (the areas register its sources), unified
search page."""
