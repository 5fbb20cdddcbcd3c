"""Evidence files behind figures and follow-up: storage, checks, encryption, pages."""
