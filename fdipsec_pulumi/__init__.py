"""NetFoundry Frontdoor V2 IPsec tunnels and shares as Pulumi resources."""
