// The umbrella module: `import Mesa` brings in tensors, layers and optimizers.
@_exported import MesaCore
@_exported import MesaNN
@_exported import MesaOptim
