"""The pipeline's steps, one module each, in the order data flows through them."""
