/* SPDX-License-Identifier: MIT */
/*
 * Modules: a relocatable object (ET_REL) whose sites relocgen validates
 * by the kernel's rules and rewrites into private relocations in the
 * object's own relocation sections, for the kernel's loader.
 */
#ifndef RELOCGEN_MODULE_H
#define RELOCGEN_MODULE_H

/*
 * module_relink() - validate the sites of object, as placed by its trial
 * link check (linked at the module area with the kernel's symbols, every
 * input section an output section of the same name, --emit-relocs), with
 * the choices of kernel; then write object to path with every marker
 * (R_X86_64_NONE against __choice_<id>) turned into R_RELINK_<shape> and
 * one R_RELINK_CALL added per call site, against the call symbol, beside
 * its R_X86_64_PLT32. Returns 0 or -1 after reporting.
 */
int module_relink(const char *kernel, const char *check, const char *object,
		  const char *path);

#endif /* RELOCGEN_MODULE_H */
