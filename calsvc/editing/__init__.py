"""Writing to the calendar: validated domain edits with versions, sequence bumps and an audit trail.

Each module takes a session and an actor; views and the API open the session, commit, and
turn errors into answers. Forms and the API share the same validators here.
"""
