"""StackOne RPC Explorer: call StackOne's ``POST /actions/rpc`` by hand, save and replay calls."""

__version__ = "0.1.0"
