#ifndef MODELGATE_CLIBYAML_SHIM_H
#define MODELGATE_CLIBYAML_SHIM_H

#include <yaml.h>

#endif
