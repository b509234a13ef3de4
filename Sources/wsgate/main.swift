print("wsgate")
