"""First-run set-up (``counter-app setup``) and the configuration-error dialog."""
