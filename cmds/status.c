/* status commands (family table filled in by its owner) */
#include "sctpsh.h"

const sh_cmd sh_cmds_status[] = {
	{NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL},
};
