import ScreamCore

print("scream")
