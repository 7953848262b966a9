#ifndef PODIUM_CARCHIVE_SHIM_H
#define PODIUM_CARCHIVE_SHIM_H
#include <stddef.h>
#include <archive.h>
#include <archive_entry.h>

// File-type macros libarchive defines as casts, which Swift does not import.
static const unsigned int podium_ae_ifreg = AE_IFREG;
static const unsigned int podium_ae_ifdir = AE_IFDIR;
#endif
