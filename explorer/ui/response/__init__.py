"""Reading an exchange: status, headers, the body (Pretty and Raw), errors explained."""
