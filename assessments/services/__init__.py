"""Write-side actions of the assessments app."""
