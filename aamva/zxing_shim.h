// zxing_shim.h is a small C interface over zxing-cpp 1.4 (Debian libzxing-dev),
// so that cgo, which cannot call C++ directly, can read and write PDF417.
#ifndef KYCGATE_ZXING_SHIM_H
#define KYCGATE_ZXING_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	unsigned char* data; /* malloc'd; release with zx_free */
	int len;
} zx_bytes;

/* zx_read_pdf417 looks for PDF417 symbols in an 8-bit grey image (row-major,
   stride w). It stores up to max decoded payloads (raw bytes) in out and
   returns how many it found, or -1 with a message in err. */
int zx_read_pdf417(const unsigned char* gray, int w, int h, int try_harder, int try_rotate,
                   zx_bytes* out, int max, char* err, int errlen);

/* zx_write_pdf417 encodes data (UTF-8) as a PDF417 symbol at least w x h
   pixels with a quiet zone of margin pixels. It returns 0 and a malloc'd
   w*h grey image (0 black, 255 white) in *out, or -1 with a message in err. */
int zx_write_pdf417(const char* data, int len, int w, int h, int margin, int ecc,
                    unsigned char** out, int* ow, int* oh, char* err, int errlen);

void zx_free(void* p);

#ifdef __cplusplus
}
#endif
#endif
