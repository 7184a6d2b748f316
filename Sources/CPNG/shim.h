#include <png.h>
#include <errno.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>

/* libpng reports errors by longjmp, which Swift cannot catch, so the whole write runs here. */

/* Where the PNG goes and, after a failure, why it failed. */
typedef struct {
    int fd;
    /* errno of a failed write, else 0. */
    int write_errno;
    char message[128];
} scream_png_target;

static inline void scream_png_error(png_structp png, png_const_charp message) {
    scream_png_target *target = (scream_png_target *)png_get_error_ptr(png);
    strncpy(target->message, message, sizeof target->message - 1);
    png_longjmp(png, 1);
}

static inline void scream_png_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

static inline void scream_png_write_data(png_structp png, png_bytep data, size_t length) {
    scream_png_target *target = (scream_png_target *)png_get_io_ptr(png);
    while (length > 0) {
        ssize_t written = write(target->fd, data, length);
        if (written < 0) {
            if (errno == EINTR) continue;
            target->write_errno = errno;
            png_error(png, "write failed");
        }
        data += written;
        length -= (size_t)written;
    }
}

static inline void scream_png_flush(png_structp png) {
    (void)png;
}

/* Writes an 8-bit palette PNG of width x height indices, row by row, to target->fd,
 * unfiltered and deflated at zlib level compression_level. palette_rgb holds palette_entries RGB triples. Returns 0 on
 * success, else -1 with target->message (and target->write_errno when writing failed) set. */
static inline int scream_png_write_indexed(
    scream_png_target *target, png_uint_32 width, png_uint_32 height, const png_byte *pixels,
    const png_byte *palette_rgb, int palette_entries, int compression_level) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, target, scream_png_error, scream_png_warning);
    if (png == NULL) {
        strcpy(target->message, "out of memory");
        return -1;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        strcpy(target->message, "out of memory");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return -1;
    }
    png_color palette[PNG_MAX_PALETTE_LENGTH];
    for (int i = 0; i < palette_entries && i < PNG_MAX_PALETTE_LENGTH; i++) {
        palette[i].red = palette_rgb[3 * i];
        palette[i].green = palette_rgb[3 * i + 1];
        palette[i].blue = palette_rgb[3 * i + 2];
    }
    png_set_write_fn(png, target, scream_png_write_data, scream_png_flush);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_PLTE(png, info, palette, palette_entries);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_level(png, compression_level);
    png_write_info(png, info);
    for (png_uint_32 y = 0; y < height; y++) {
        png_write_row(png, pixels + (size_t)y * width);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return 0;
}
