/* Errors as Tcl errors with machine-readable errorCodes scripts can trap. */
#include "sctpsh.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int sh_err_errno(Tcl_Interp *ip, const char *call, int err)
{
	if (err < 0)
		err = -err;
	errno = err;
	const char *name = Tcl_ErrnoId(); /* reads errno */
	Tcl_SetObjResult(ip, Tcl_ObjPrintf("%s: %s (%s)", call, name, Tcl_ErrnoMsg(err)));
	Tcl_SetErrorCode(ip, "SCTPSH", "errno", name, NULL);
	return TCL_ERROR;
}

int sh_err(Tcl_Interp *ip, const char *code, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	Tcl_SetObjResult(ip, Tcl_NewStringObj(buf, -1));
	Tcl_SetErrorCode(ip, "SCTPSH", code, NULL);
	return TCL_ERROR;
}
