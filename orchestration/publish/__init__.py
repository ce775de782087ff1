"""Publication: the validated marts and audit tables, copied to a new file that replaces the published one."""
