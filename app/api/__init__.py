"""The JSON API under ``/api/v1``: personal access tokens, reads and writes through the same
permissions, loaders and services as the pages, problem details for every error, and an
OpenAPI 3.1 document generated from the views."""
