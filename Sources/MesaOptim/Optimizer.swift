import MesaNN
