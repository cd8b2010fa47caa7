"""What an activist answers: when each wave is open, the informed consent, drafts and the one
submission per wave, and the screens she answers on."""
