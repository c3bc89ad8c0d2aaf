"""A local emulator of the Frontdoor V2 IPsec API: the offline default and the tests' server."""
