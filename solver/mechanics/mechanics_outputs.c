/* mechanics_outputs.c - what the mechanics model reports: its registry table. */
#include <stddef.h>

#include "mechanics.h"

#define F(field) .part = RESULT_MECHANICS, .off = offsetof(MechanicsResult, field)
#define S .kind = RES_SCALAR, .group = "summary"
#define N .kind = RES_COUNT, .group = "summary"
#define T(len) .kind = RES_TEXT, .group = "summary", .stride = len
#define WHERE .flags = RES_NO_REPORT
#define MAP .kind = RES_MAP, .group = "maps", .flags = RES_NO_REPORT
#define EDGE(field) .part = RESULT_MECHANICS, .group = "edge", .kind = RES_COLUMN, \
  .off = offsetof(MechanicsResult, edge), .n_off = offsetof(MechanicsResult, n_edge), \
  .stride = sizeof(MechEdgePoint), .field_off = offsetof(MechEdgePoint, field), .flags = RES_NO_REPORT
#define TO_MPA .scale = 1e-6
#define TO_UM .scale = 1e6
/* clang-format off */
static const ResultEntry entries[] = {
    {"mechanics_reference", "1", "what the strains are measured from: the stress-free assembly temperature, or another run's temperatures (a strain range)", T(MECH_TEXT_LEN), F(reference)},
    {"mechanics_contact", "1", "cold plate on wafer: slip (frictionless) or friction (Coulomb under the preload)", T(16), F(contact)},
    {"wafer_t_mean_c", "C", "area-mean of the wafer's thickness-mean temperature", S, F(wafer_t_mean_k), RES_TO_C},
    {"pcb_t_mean_c", "C", "area-mean of the PCB's thickness-mean temperature", S, F(pcb_t_mean_k), RES_TO_C},
    {"cold_plate_t_mean_c", "C", "area-mean of the cold plate's thickness-mean temperature (base and fins)", S, F(cold_t_mean_k), RES_TO_C},
    {"connector_shear_strain_max", "1", "largest shear strain of the compliant connector: |u_wafer - u_pcb| / its height", S, F(strain_max)},
    {"connector_shear_strain_x_mm", "mm", "x of the largest connector shear strain", S, F(strain_x_m), RES_TO_MM, WHERE},
    {"connector_shear_strain_y_mm", "mm", "y of the largest connector shear strain", S, F(strain_y_m), RES_TO_MM, WHERE},
    {"wafer_stress_max_mpa", "MPa", "largest von Mises membrane stress of the wafer (in-plane; bending left out)", S, F(wafer_vm_max_pa), TO_MPA},
    {"wafer_stress_x_mm", "mm", "x of the largest wafer stress", S, F(wafer_vm_x_m), RES_TO_MM, WHERE},
    {"wafer_stress_y_mm", "mm", "y of the largest wafer stress", S, F(wafer_vm_y_m), RES_TO_MM, WHERE},
    {"wafer_tension_max_mpa", "MPa", "largest principal membrane stress of the wafer (tension positive): what a flaw in brittle silicon sees", S, F(wafer_tension_max_pa), TO_MPA},
    {"pcb_stress_max_mpa", "MPa", "largest von Mises membrane stress of the PCB", S, F(pcb_vm_max_pa), TO_MPA},
    {"pcb_stress_x_mm", "mm", "x of the largest PCB stress", S, F(pcb_vm_x_m), RES_TO_MM, WHERE},
    {"pcb_stress_y_mm", "mm", "y of the largest PCB stress", S, F(pcb_vm_y_m), RES_TO_MM, WHERE},
    {"edge_slip_max_um", "um", "largest cold plate slip on the wafer, at the wafer's edge", S, F(slip_max_m), TO_UM},
    {"edge_slip_x_mm", "mm", "x of the largest edge slip", S, F(slip_x_m), RES_TO_MM, WHERE},
    {"edge_slip_y_mm", "mm", "y of the largest edge slip", S, F(slip_y_m), RES_TO_MM, WHERE},
    {"warpage_um", "um", "centre-to-corner bow of the wafer / connector / PCB stack, from the membrane forces the connector transfers (capped by warpage_bonded_um)", S, F(warpage_m), TO_UM},
    {"warpage_bonded_um", "um", "bow of the same stack bonded rigidly (classical laminate theory): the stiff-connector upper bound", S, F(warpage_bonded_m), TO_UM},
    {"warpage_shape", "1", "which way the stack bows", T(MECH_TEXT_LEN), F(warpage_shape)},
    {"stack_curvature_per_m", "1/m", "curvature of the stack (positive: the PCB side longer)", S, F(curvature_per_m), WHERE},
    {"flatten_pressure_kpa", "kPa", "uniform pressure that takes the bow out (simply supported circular plate of the wafer's inscribed radius)", S, F(flatten_pa), RES_TO_KPA},
    {"preload_kpa", "kPa", "cold-plate preload pressure (mechanics.preload_kpa)", S, F(preload_pa), RES_TO_KPA},
    {"mechanics_cells_x", "1", "cells of the mechanics grid along x", N, F(cells_x), WHERE},
    {"mechanics_cells_y", "1", "cells of the mechanics grid along y", N, F(cells_y), WHERE},
    {"mechanics_linear_iterations", "1", "PCG iterations of the in-plane solves (BoomerAMG)", N, F(linear_iters), WHERE},
    {"mechanics_contact_passes", "1", "friction passes (0: sliding contact, one solve)", N, F(contact_passes), WHERE},
    {"mechanics_seconds", "s", "wall time of the mechanics", S, F(seconds), WHERE},
    {"connector_shear_strain", "1", "connector shear strain, [ny][nx]", MAP, F(strain)},
    {"wafer_stress_vm_mpa", "MPa", "wafer membrane stress, von Mises, [ny][nx]", MAP, F(wafer_vm), TO_MPA},
    {"wafer_stress_p1_mpa", "MPa", "wafer membrane stress, larger principal, [ny][nx]", MAP, F(wafer_s1), TO_MPA},
    {"wafer_stress_p2_mpa", "MPa", "wafer membrane stress, smaller principal, [ny][nx]", MAP, F(wafer_s2), TO_MPA},
    {"pcb_stress_vm_mpa", "MPa", "PCB membrane stress, von Mises, [ny][nx]", MAP, F(pcb_vm), TO_MPA},
    {"pcb_stress_p1_mpa", "MPa", "PCB membrane stress, larger principal, [ny][nx]", MAP, F(pcb_s1), TO_MPA},
    {"pcb_stress_p2_mpa", "MPa", "PCB membrane stress, smaller principal, [ny][nx]", MAP, F(pcb_s2), TO_MPA},
    {"slip_x_um", "um", "slip of the cold plate against the wafer, x, [ny][nx]", MAP, F(slip_x), TO_UM},
    {"slip_y_um", "um", "slip of the cold plate against the wafer, y, [ny][nx]", MAP, F(slip_y), TO_UM},
    {"edge_position_mm", "mm", "position along the wafer's perimeter, counter-clockwise from the corner (0, 0)", EDGE(pos_m), RES_TO_MM},
    {"edge_x_mm", "mm", "x of the perimeter point", EDGE(x_m), RES_TO_MM},
    {"edge_y_mm", "mm", "y of the perimeter point", EDGE(y_m), RES_TO_MM},
    {"edge_slip_um", "um", "slip of the cold plate against the wafer at the perimeter point", EDGE(slip_m), TO_UM},
    {"edge_connector_strain", "1", "connector shear strain at the perimeter point", EDGE(strain)},
};
/* clang-format on */
const ResultTable Mechanics_outputs = {RESULT_MECHANICS, sizeof(MechanicsResult), entries,
                                       (int)(sizeof entries / sizeof entries[0])};
