final class P {}
