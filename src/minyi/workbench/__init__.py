"""The staff workbench: sign-in, the handler's queue, the case page, the supervisor board, administration."""
