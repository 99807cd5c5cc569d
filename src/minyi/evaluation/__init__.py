"""Public evaluation (民主评议): verified citizens, deputies and organisations rate departments in a period."""
