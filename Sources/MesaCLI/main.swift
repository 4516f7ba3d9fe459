import Mesa
print("mesa")
