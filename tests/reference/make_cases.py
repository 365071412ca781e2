#!/usr/bin/env python3
"""make_cases.py - write the OpenFOAM cases of ebsim's CFD reference.

One channel pitch of a micro-fin cold plate, cut on its two symmetry planes
(the channel's mid-plane and the fin's mid-plane): half a channel, half a fin,
the base under them and, for the shipped plate, the copper lid over the fin
tips. Laminar, steady, conjugate (chtMultiRegionSimpleFoam: one fluid region,
one solid region), uniform inlet velocity, a uniform heat flux on the base's
outer face, every other outer face adiabatic.

    python3 make_cases.py PROPS_TABLE OUT_DIR [CASE-MESH ...]

PROPS_TABLE is the output of tests/reference/props.c (ebsim's own water table,
silicon k(T) and copper k, one row per kelvin); the fluid's and silicon's
properties are polynomials fitted to it, so that the CFD and ebsim use the same
property data. Writes OUT_DIR/<case>-<mesh>/ (plain-text dictionaries: system/,
constant/, 0.orig/) for every case and mesh, or only those named. Pure Python 3
(no numpy). bench/cfd_reference.sh runs it, then the cases.

Coordinates (metres): x along the flow from the channel inlet (0) to the
outlet (L); y across, 0 on the channel's mid-plane, w/2 the fin face, pitch/2
the fin's mid-plane; z up, 0 the fin root (ebsim's z = 0), -t_base the heated
face, H the fin tips (and the lid's inner face).
"""
import math
import os
import sys

# ---- the cases -----------------------------------------------------------------
# Shipped plate: cases/cs3.yaml stack.cold_plate (copper, base 3.0 mm, channel
# 0.3 x 4.0 mm, fin 0.2 mm, split manifold: a path is half the 215 mm plate),
# water at 21 C; flux = heat_to_coolant_w of the shipped run (25.83 kW: the
# 25 kW dies plus the block's path losses that reach the coolant) over the
# 215 x 215 mm plate = 55.89 W/cm^2 (README: "flux mean 55.9").
# Flow per half-pitch domain = total / (2 paths x 430 channels) / 2 halves.
CS3 = dict(w=0.3e-3, H=4.0e-3, fin=0.2e-3, t_base=3.0e-3, t_lid=1.0e-3, L=0.1075,
           solid="copper", t_in=294.15, flux=25833.6 / 0.215 ** 2, channels=430, paths=2)
# Tuckerman & Pease (1981) chip 3 as tests/cases/tuckerman_pease.yaml has it:
# silicon, channel 50 x 302 um, fin 50 um, 100 um of silicon under the
# channels (base 75 + heater 25), single pass over 10 mm, glass cover
# (adiabatic: no lid solid, the channel's top wall is an adiabatic no-slip
# wall), water at 23 C, 8.6 cm^3/s over 100 channels, 790 W/cm^2.
TP3 = dict(w=50e-6, H=302e-6, fin=50e-6, t_base=100e-6, t_lid=0.0, L=0.010,
           solid="silicon", t_in=296.15, flux=790e4, channels=100, paths=1)

CASES = {
    "cs3-100": dict(CS3, flow_lpm=100.0, t_fit=(290.0, 335.0)),
    "cs3-37.5": dict(CS3, flow_lpm=37.5, t_fit=(290.0, 345.0)),
    "tp3": dict(TP3, flow_lpm=0.516, t_fit=(293.0, 383.0)),
}
# Mesh levels: cells across the half channel, the half fin, the base, the
# channel height, the lid, along the flow. "fine" is "coarse" x 1.5 in every
# direction (3.4 x the cells).
BASE_CELLS = dict(ny_ch=8, ny_fin=4, nz_base=8, nz_ch=32, nz_lid=4, nx=100)
MESHES = {"coarse": 1.0, "fine": 1.5}
X_EXPANSION = 40.0  # last / first cell along the flow (fine cells at the inlet)


def cells(factor):
    return {k: max(2, int(round(v * factor))) for k, v in BASE_CELLS.items()}


# ---- properties ------------------------------------------------------------------
def read_props(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            v = line.split()
            rows.append(dict(T=float(v[0]), rho=float(v[1]), cp=float(v[2]), k=float(v[3]),
                             mu=float(v[4]), k_si=float(v[5]), k_cu=float(v[6]),
                             clamped=int(v[7])))
    return rows


def extend_water(rows):
    """ebsim's water table ends at 80 C and clamps above it. The chip-3 CFD
    sees wall water above 80 C: beyond the table, mu follows the Vogel fit of
    physics.md 4.1 (2.414e-5 10^(247.8/(T - 140))) scaled to the table at its
    end, rho, cp, k the table's last slope (they change by < 1 % there)."""
    good = [r for r in rows if not r["clamped"]]
    if len(good) == len(rows):
        return rows
    a, b = good[-2], good[-1]
    vogel = lambda t: 2.414e-5 * 10 ** (247.8 / (t - 140.0))
    out = []
    for r in rows:
        if r["clamped"] and r["T"] > b["T"]:
            r = dict(r)
            dt = r["T"] - b["T"]
            for key in ("rho", "cp", "k"):
                r[key] = b[key] + dt * (b[key] - a[key]) / (b["T"] - a["T"])
            r["mu"] = b["mu"] * vogel(r["T"]) / vogel(b["T"])
        out.append(r)
    return out


def solve(a, y):
    n = len(y)
    m = [list(a[i]) + [y[i]] for i in range(n)]
    for c in range(n):
        p = max(range(c, n), key=lambda i: abs(m[i][c]))
        m[c], m[p] = m[p], m[c]
        for i in range(c + 1, n):
            f = m[i][c] / m[c][c]
            for j in range(c, n + 1):
                m[i][j] -= f * m[c][j]
    x = [0.0] * n
    for i in reversed(range(n)):
        x[i] = (m[i][n] - sum(m[i][j] * x[j] for j in range(i + 1, n))) / m[i][i]
    return x


def polyfit_raw(ts, ys, deg):
    """Least squares in s = (T - tc) / ts, then expanded to powers of T
    (OpenFOAM's polynomials are in T, kelvin). Returns the coefficients and the
    largest relative error of the raw-T polynomial over the points."""
    tc = 0.5 * (min(ts) + max(ts))
    sc = 0.5 * (max(ts) - min(ts))
    s = [(t - tc) / sc for t in ts]
    ata = [[sum(si ** (i + j) for si in s) for j in range(deg + 1)] for i in range(deg + 1)]
    aty = [sum(yi * si ** i for si, yi in zip(s, ys)) for i in range(deg + 1)]
    c = solve(ata, aty)
    raw = [0.0] * (deg + 1)  # sum_i c_i ((T - tc)/sc)^i
    for i, ci in enumerate(c):
        for j in range(i + 1):
            raw[j] += ci * math.comb(i, j) * (-tc) ** (i - j) / sc ** i
    err = max(abs(sum(r * t ** j for j, r in enumerate(raw)) / y - 1.0) for t, y in zip(ts, ys))
    return raw, err


def coeffs8(raw):
    return "(" + " ".join("%.12e" % v for v in (raw + [0.0] * 8)[:8]) + ")"


# ---- dictionaries ------------------------------------------------------------------
HEADER = """/*--------------------------------*- C++ -*----------------------------------*\\
  ebsim CFD reference (tests/reference/make_cases.py): %s
\\*---------------------------------------------------------------------------*/
FoamFile
{
    version     2.0;
    format      ascii;
    class       %s;
    object      %s;
}
"""


def write(root, rel, text, cls="dictionary", comment=""):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    obj = os.path.basename(rel)
    with open(path, "w") as f:
        f.write(HEADER % (comment or obj, cls, obj) + text)


def block_mesh(c, n):
    """Six (or four without a lid) hex blocks on a 3 x 4 lattice of corner
    lines in (y, z), extruded along x; zones 'fluid' and 'solid'."""
    ys = [0.0, c["w"] / 2, (c["w"] + c["fin"]) / 2]
    zs = [-c["t_base"], 0.0, c["H"]] + ([c["H"] + c["t_lid"]] if c["t_lid"] > 0 else [])
    nzs = [n["nz_base"], n["nz_ch"]] + ([n["nz_lid"]] if c["t_lid"] > 0 else [])
    nys = [n["ny_ch"], n["ny_fin"]]
    L = c["L"]
    verts, vid = [], {}
    for ix, x in enumerate((0.0, L)):
        for iz, z in enumerate(zs):
            for iy, y in enumerate(ys):
                vid[(ix, iy, iz)] = len(verts)
                verts.append("    (%.9g %.9g %.9g)" % (x, y, z))
    # gradings: y in the channel band fine at the fin face; the fin band
    # uniform; z in the base fine at the fin root; in the channel fine at
    # both walls (floor, lid); in the lid fine at the fin tips.
    gy = ["0.4", "1"]
    gz = ["0.2", "((0.12 0.25 4) (0.76 0.5 1) (0.12 0.25 0.25))", "4"]
    blocks, faces = [], {k: [] for k in ("inlet", "outlet", "ends", "sym", "heated", "top",
                                         "cover")}

    def hexv(iy, iz):
        return [vid[(0, iy, iz)], vid[(1, iy, iz)], vid[(1, iy + 1, iz)], vid[(0, iy + 1, iz)],
                vid[(0, iy, iz + 1)], vid[(1, iy, iz + 1)], vid[(1, iy + 1, iz + 1)],
                vid[(0, iy + 1, iz + 1)]]

    for iz in range(len(nzs)):
        for iy in range(2):
            fluid = iy == 0 and iz == 1
            v = hexv(iy, iz)
            blocks.append("    hex (%s) %s (%d %d %d) simpleGrading (%g %s %s)" % (
                " ".join(map(str, v)), "fluid" if fluid else "solid", n["nx"], nys[iy], nzs[iz],
                X_EXPANSION, gy[iy], gz[iz]))
            x0 = [v[0], v[4], v[7], v[3]]
            x1 = [v[1], v[2], v[6], v[5]]
            if fluid:
                faces["inlet"].append(x0)
                faces["outlet"].append(x1)
            else:
                faces["ends"] += [x0, x1]
            if iy == 0:
                faces["sym"].append([v[0], v[1], v[5], v[4]])
            else:
                faces["sym"].append([v[3], v[7], v[6], v[2]])
            if iz == 0:
                faces["heated"].append([v[0], v[3], v[2], v[1]])
            if iz == len(nzs) - 1:
                top = [v[4], v[5], v[6], v[7]]
                (faces["cover"] if fluid else faces["top"]).append(top)
    types = dict(inlet="patch", outlet="patch", ends="wall", sym="symmetry", heated="wall",
                 top="wall", cover="wall")
    pt = []
    for name, fl in faces.items():
        if not fl:
            continue
        pt.append("    %s\n    {\n        type %s;\n        faces\n        (\n%s\n        );\n    }"
                  % (name, types[name],
                     "\n".join("            (%s)" % " ".join(map(str, f)) for f in fl)))
    ncells = sum(n["nx"] * nys[iy] * nzs[iz] for iz in range(len(nzs)) for iy in range(2))
    text = ("convertToMeters 1;\n\nvertices\n(\n%s\n);\n\nblocks\n(\n%s\n);\n\nedges ();\n\n"
            "boundary\n(\n%s\n);\n\nmergePatchPairs ();\n" % (
                "\n".join(verts), "\n".join(blocks), "\n".join(pt)))
    return text, ncells, [k for k, v in faces.items() if v]


def case_dicts(root, name, c, mesh, props):
    n = cells(MESHES[mesh])
    bm, ncells, patches = block_mesh(c, n)
    write(root, "system/blockMeshDict", bm)
    lo, hi = c["t_fit"]
    rows = extend_water([r for r in props if lo - 1e-9 <= r["T"] <= hi + 1e-9])
    ts = [r["T"] for r in rows]
    fits, notes = {}, []
    for key, deg in (("rho", 3), ("cp", 3), ("k", 3), ("mu", 5)):
        fits[key], err = polyfit_raw(ts, [r[key] for r in rows], deg)
        notes.append("%s %.2g" % (key, err))
        if err > 0.01:
            sys.exit("make_cases: the %s fit misses by %.3g over %g-%g K" % (key, err, lo, hi))
    t_in = c["t_in"]
    rho_in = next(r for r in props if abs(r["T"] - round(t_in)) < 0.5)["rho"]
    # flow: per channel path, then half of it in the half-channel domain;
    # the inlet velocity is uniform, at the inlet's density (ebsim: m = rho_in q)
    q_path = c["flow_lpm"] / 60000.0 / (c["paths"] * c["channels"])
    u_in = q_path / (c["w"] * c["H"])
    info = dict(case=name, mesh=mesh, cells=ncells, u_in=u_in, q_path_m3_s=q_path,
                flux_w_m2=c["flux"], t_in_k=t_in, rho_in=rho_in, fit_errors=", ".join(notes),
                **{k: c[k] for k in ("w", "H", "fin", "t_base", "t_lid", "L", "solid")})
    write(root, "system/caseInfo", "".join("%s %s;\n" % (k, v if not isinstance(v, str) else
                                                         '"%s"' % v) for k, v in info.items()),
          comment="what this case is (read by extract.py)")

    write(root, "system/controlDict", """application     chtMultiRegionSimpleFoam;
startFrom       latestTime;
startTime       0;
stopAt          endTime;
endTime         %d;
deltaT          1;
writeControl    timeStep;
writeInterval   %d;
purgeWrite      1;
writeFormat     ascii;
writePrecision  10;
writeCompression off;
timeFormat      general;
timePrecision   6;
runTimeModifiable true;

functions
{
    // inlet-minus-outlet static pressure and the mixed outlet temperature,
    // every 50 iterations: the convergence record
    pIn
    {
        type            surfaceFieldValue;
        libs            ("libfieldFunctionObjects.so");
        region          fluid;
        writeControl    timeStep;
        writeInterval   50;
        log             false;
        writeFields     false;
        regionType      patch;
        name            inlet;
        operation       areaAverage;
        fields          (p);
    }
    TOut
    {
        type            surfaceFieldValue;
        libs            ("libfieldFunctionObjects.so");
        region          fluid;
        writeControl    timeStep;
        writeInterval   50;
        log             false;
        writeFields     false;
        regionType      patch;
        name            outlet;
        operation       weightedAverage;
        weightField     phi;
        fields          (T);
    }
    wallHeatFlux
    {
        type            wallHeatFlux;
        libs            ("libfieldFunctionObjects.so");
        region          fluid;
        writeControl    writeTime;
        log             false;
        patches         (fluid_to_solid);
    }
    THeated
    {
        type            surfaceFieldValue;
        libs            ("libfieldFunctionObjects.so");
        region          solid;
        writeControl    timeStep;
        writeInterval   50;
        log             false;
        writeFields     false;
        regionType      patch;
        name            heated;
        operation       max;
        fields          (T);
    }
}
""" % (ITERS[mesh], ITERS[mesh]))
    # the undivided mesh's (blockMesh, splitMeshRegions) schemes; each region
    # has its own in system/<region>/
    write(root, "system/fvSchemes", SOLID_SCHEMES)
    write(root, "system/fvSolution", "solvers {}\n")
    write(root, "system/decomposeParDict", "numberOfSubdomains 1;\nmethod none;\n")
    write(root, "constant/regionProperties",
          "regions\n(\n    fluid       (fluid)\n    solid       (solid)\n);\n")
    write(root, "constant/g", "dimensions      [0 1 -2 0 0 0 0];\nvalue           (0 0 0);\n",
          cls="uniformDimensionedVectorField")
    write(root, "constant/fluid/turbulenceProperties", "simulationType  laminar;\n")
    write(root, "constant/fluid/thermophysicalProperties", """// water: polynomials in T (K) fitted to ebsim's own table (materials.c,
// IAPWS) over %g-%g K; largest relative misfit: %s
thermoType
{
    type            heRhoThermo;
    mixture         pureMixture;
    transport       polynomial;
    thermo          hPolynomial;
    equationOfState icoPolynomial;
    specie          specie;
    energy          sensibleEnthalpy;
}

mixture
{
    specie
    {
        molWeight   18.015;
    }
    equationOfState
    {
        rhoCoeffs<8>    %s;
    }
    thermodynamics
    {
        Hf              0;
        Sf              0;
        CpCoeffs<8>     %s;
    }
    transport
    {
        muCoeffs<8>     %s;
        kappaCoeffs<8>  %s;
    }
}
""" % (lo, hi, ", ".join(notes), coeffs8(fits["rho"]), coeffs8(fits["cp"]), coeffs8(fits["mu"]),
       coeffs8(fits["k"])))
    if c["solid"] == "copper":
        k_cu = props[0]["k_cu"]
        solid = """// OFHC copper as ebsim has it (materials.c): k %g W/mK
thermoType
{
    type            heSolidThermo;
    mixture         pureMixture;
    transport       constIso;
    thermo          hConst;
    equationOfState rhoConst;
    specie          specie;
    energy          sensibleEnthalpy;
}

mixture
{
    specie          { molWeight 63.5; }
    transport       { kappa %g; }
    thermodynamics  { Hf 0; Cp 385; }
    equationOfState { rho 8933; }
}
""" % (k_cu, k_cu)
    else:
        kfit, err = polyfit_raw(ts, [r["k_si"] for r in rows], 3)
        solid = """// silicon as ebsim has it (materials.c): k = 148 (300/T)^1.3 W/mK,
// a cubic in T over %g-%g K (largest relative misfit %.2g)
thermoType
{
    type            heSolidThermo;
    mixture         pureMixture;
    transport       polynomial;
    thermo          hPolynomial;
    equationOfState rhoConst;
    specie          specie;
    energy          sensibleEnthalpy;
}

mixture
{
    specie          { molWeight 28.09; }
    transport       { kappaCoeffs<8> %s; }
    thermodynamics  { Hf 0; Sf 0; CpCoeffs<8> (712 0 0 0 0 0 0 0); }
    equationOfState { rho 2330; }
}
""" % (lo, hi, err, coeffs8(kfit))
    write(root, "constant/solid/thermophysicalProperties", solid)

    write(root, "system/fluid/fvSchemes", """ddtSchemes      { default steadyState; }
gradSchemes     { default Gauss linear; }
divSchemes
{
    default         none;
    div(phi,U)      bounded Gauss linearUpwind grad(U);
    div(phi,K)      bounded Gauss linear;
    div(phi,h)      bounded Gauss linearUpwind grad(h);
    div(((rho*nuEff)*dev2(T(grad(U))))) Gauss linear;
}
laplacianSchemes { default Gauss linear corrected; }
interpolationSchemes { default linear; }
snGradSchemes   { default corrected; }
""")
    write(root, "system/fluid/fvSolution", """solvers
{
    "rho.*"
    {
        solver          diagonal;
    }
    p_rgh
    {
        solver          GAMG;
        smoother        DICGaussSeidel;
        nCellsInCoarsestLevel 2;
        tolerance       1e-12;
        relTol          0.05;
        maxIter         30;
    }
    "(U|h)"
    {
        solver          PBiCGStab;
        preconditioner  DILU;
        tolerance       1e-10;
        relTol          0.05;
    }
}

SIMPLE
{
    momentumPredictor yes;
    nNonOrthogonalCorrectors 0;
    pRefCell        0;
    pRefValue       0;
    rhoMin          900;
    rhoMax          1100;
    residualControl
    {
        p_rgh   1e-6;
        U       1e-7;
        h       1e-7;
    }
}

relaxationFactors
{
    fields      { rho 1; p_rgh 0.7; }
    equations   { U 0.5; h 0.9; }
}
""")
    write(root, "system/solid/fvSchemes", SOLID_SCHEMES)
    write(root, "system/solid/fvSolution", """solvers
{
    "(h|hFinal)"
    {
        solver          GAMG;
        smoother        GaussSeidel;
        tolerance       1e-10;
        relTol          0.01;
    }
}

SIMPLE
{
    nNonOrthogonalCorrectors 0;
    residualControl { h 1e-7; }
}

relaxationFactors
{
    equations   { h 1; }
}
""")
    # ---- fields (0.orig/<region>; copied to 0/ after splitMeshRegions). Every
    # patch is named in every field (a region keeps the other's patches with
    # no faces); no wildcards.
    walls = ("ends", "heated", "top", "cover", "inlet", "outlet", "fluid_to_solid",
             "solid_to_fluid")

    def field(region, fld, cls, dims, internal, special):
        lines = ["    sym             { type symmetry; }"]
        for p in walls:
            lines.append("    %-15s { %s }" % (p, special.get(p, special["*"])))
        write(root, "0.orig/%s/%s" % (region, fld),
              "dimensions      %s;\ninternalField   uniform %s;\nboundaryField\n{\n%s\n}\n"
              % (dims, internal, "\n".join(lines)), cls=cls)

    coupled = ("type compressible::turbulentTemperatureCoupledBaffleMixed; "
               "value $internalField; Tnbr T; kappaMethod %s;")
    uin = "(%.9g 0 0)" % u_in
    field("fluid", "U", "volVectorField", "[0 1 -1 0 0 0 0]", uin, {
        "*": "type noSlip;",
        "inlet": "type fixedValue; value uniform %s;" % uin,
        "outlet": "type inletOutlet; inletValue uniform (0 0 0); value $internalField;"})
    field("fluid", "p_rgh", "volScalarField", "[1 -1 -2 0 0 0 0]", "0", {
        "*": "type fixedFluxPressure; value $internalField;",
        "outlet": "type fixedValue; value $internalField;"})
    field("fluid", "p", "volScalarField", "[1 -1 -2 0 0 0 0]", "0", {
        "*": "type calculated; value $internalField;"})
    field("fluid", "T", "volScalarField", "[0 0 0 1 0 0 0]", "%.6g" % t_in, {
        "*": "type zeroGradient;",
        "inlet": "type fixedValue; value uniform %.6g;" % t_in,
        "outlet": "type inletOutlet; inletValue uniform %.6g; value $internalField;" % t_in,
        "fluid_to_solid": coupled % "fluidThermo"})
    field("solid", "T", "volScalarField", "[0 0 0 1 0 0 0]", "%.6g" % t_in, {
        "*": "type zeroGradient;",
        "heated": "type externalWallHeatFluxTemperature; mode flux; q uniform %.9g; "
                  "kappaMethod solidThermo; value $internalField;" % c["flux"],
        "solid_to_fluid": coupled % "solidThermo"})
    field("solid", "p", "volScalarField", "[1 -1 -2 0 0 0 0]", "0", {
        "*": "type calculated; value $internalField;"})
    return ncells


SOLID_SCHEMES = """ddtSchemes      { default steadyState; }
gradSchemes     { default Gauss linear; }
divSchemes      { default none; }
laplacianSchemes { default Gauss linear corrected; }
interpolationSchemes { default linear; }
snGradSchemes   { default corrected; }
"""

ITERS = {"coarse": 700, "fine": 800}  # fine: 400 leave 3e-4 of drift at 37.5 L/min


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    props = read_props(sys.argv[1])
    out = sys.argv[2]
    want = sys.argv[3:]
    for name, c in CASES.items():
        for mesh in MESHES:
            tag = "%s-%s" % (name, mesh)
            if want and tag not in want:
                continue
            n = case_dicts(os.path.join(out, tag), tag, c, mesh, props)
            print("%s: %d cells" % (tag, n))


if __name__ == "__main__":
    main()
