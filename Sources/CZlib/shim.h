// zlib, for reading the gzip-compressed IDX files of Debian's dataset-fashion-mnist.
#include <zlib.h>
