import MesaCore
