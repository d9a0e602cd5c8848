"""The spec pipeline: fetch the vendor's OpenAPI document, normalize it, regenerate the raw client."""
