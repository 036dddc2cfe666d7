//go:build cgo

// The C++ half of the cgo shim: it catches every C++ exception so none can
// unwind into Go.
#define ZX_USE_UTF8 1
#include "zxing_shim.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <ZXing/ReadBarcode.h>

static void set_err(char* err, int errlen, const char* msg) {
	if (err == nullptr || errlen <= 0) return;
	std::strncpy(err, msg, errlen - 1);
	err[errlen - 1] = 0;
}

extern "C" int zx_read_pdf417(const unsigned char* gray, int w, int h, int try_harder, int try_rotate,
                              zx_bytes* out, int max, char* err, int errlen) {
	try {
		ZXing::ImageView view(gray, w, h, ZXing::ImageFormat::Lum);
		ZXing::DecodeHints hints;
		hints.setFormats(ZXing::BarcodeFormat::PDF417);
		hints.setTryHarder(try_harder != 0);
		hints.setTryRotate(try_rotate != 0);
		auto results = ZXing::ReadBarcodes(view, hints);
		int n = 0;
		for (const auto& r : results) {
			if (n >= max) break;
			if (!r.isValid()) continue;
			const auto& b = r.bytes();
			unsigned char* p = static_cast<unsigned char*>(std::malloc(b.size() + 1));
			if (p == nullptr) {
				set_err(err, errlen, "out of memory");
				return -1;
			}
			if (!b.empty()) std::memcpy(p, b.data(), b.size());
			out[n].data = p;
			out[n].len = static_cast<int>(b.size());
			n++;
		}
		return n;
	} catch (const std::exception& e) {
		set_err(err, errlen, e.what());
	} catch (...) {
		set_err(err, errlen, "unknown C++ exception");
	}
	return -1;
}

extern "C" int zx_write_pdf417(const char* data, int len, int w, int h, int margin, int ecc,
                               unsigned char** out, int* ow, int* oh, char* err, int errlen) {
	try {
		ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::PDF417);
		writer.setMargin(margin);
		if (ecc >= 0) writer.setEccLevel(ecc);
		writer.setEncoding(ZXing::CharacterSet::ISO8859_1);
		auto m = writer.encode(std::string(data, len), w, h);
		int mw = m.width(), mh = m.height();
		unsigned char* p = static_cast<unsigned char*>(std::malloc(static_cast<size_t>(mw) * mh));
		if (p == nullptr) {
			set_err(err, errlen, "out of memory");
			return -1;
		}
		for (int y = 0; y < mh; y++)
			for (int x = 0; x < mw; x++)
				p[y * mw + x] = m.get(x, y) ? 0 : 255;
		*out = p;
		*ow = mw;
		*oh = mh;
		return 0;
	} catch (const std::exception& e) {
		set_err(err, errlen, e.what());
	} catch (...) {
		set_err(err, errlen, "unknown C++ exception");
	}
	return -1;
}

extern "C" void zx_free(void* p) { std::free(p); }
