"""The content API: what readers see, as JSON under ``/api/v1/`` for apps, partners and the data desk."""
