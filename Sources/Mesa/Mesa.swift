// The umbrella module: `import Mesa` brings in tensors, layers, optimizers and meta-learning.
@_exported import MesaCore
@_exported import MesaNN
@_exported import MesaOptim
@_exported import MesaMeta
