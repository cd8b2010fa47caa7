"""Write-side actions of the courses app, one module per concern."""
