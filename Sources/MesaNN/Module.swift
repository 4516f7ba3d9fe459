public enum MesaNNPlaceholder {}
