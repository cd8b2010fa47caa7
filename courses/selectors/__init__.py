"""Read-side queries of the courses app, already scoped to the user."""
