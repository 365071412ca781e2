#!/usr/bin/env python3
"""extract.py - the numbers ebsim is compared with, from a finished case.

    python3 extract.py CASE_DIR OUT_PREFIX

CASE_DIR is a case of make_cases.py after chtMultiRegionSimpleFoam and
`postProcess -func 'writeCellCentres' -func 'writeCellVolumes'` on both
regions. Writes OUT_PREFIX.profile.csv (one row per cell layer along the flow)
and OUT_PREFIX.summary.csv (name,value,unit). Pure Python 3.

Per layer j between x0 and x1 (the mesh is structured: every region has the
same layers along the flow):
  t_bulk_k    mixing-cup temperature of the layer's fluid cells
              (sum rho u_x T V / sum rho u_x V)
  q_fluid_w   heat into the fluid through the layer's walls (wallHeatFlux on
              the fluid side of the interface), per half pitch
  t_wall_k    area-mean temperature of those walls (floor, fin face, lid)
  h_wall      q_fluid_w / wetted area / (t_wall_k - t_bulk_k): the wall h
              (ebsim's h_channel: Nu k / D_h)
  t_root_k    mean over the pitch of the temperature at z = 0 (the fin root:
              the channel floor's face values, and under the fin the solid's
              temperature interpolated between the cells either side of z = 0)
  h_eff       q_fluid_w / (half pitch x layer length) / (t_root_k - t_bulk_k):
              per plate area, fins included (ebsim's h_eff, which couples the
              base at the fin root to the coolant)
  t_heated_k  area-mean temperature of the heated (outer) face of the base
"""
import math
import os
import re
import sys


def tokens_list(text, start):
    """Parse an OpenFOAM list 'N ( ... )' starting at or after start: return
    (list of token strings or tuples, end index)."""
    m = re.compile(r"(\d+)\s*\(").search(text, start)
    n = int(m.group(1))
    i = m.end()
    out = []
    if n == 0:
        return out, text.index(")", i) + 1
    # vectors '(a b c)' or scalars
    j = i
    while len(out) < n:
        while text[j] in " \n\t\r":
            j += 1
        if text[j] == "(":
            k = text.index(")", j)
            out.append(tuple(float(v) for v in text[j + 1:k].split()))
            j = k + 1
        elif text[j].isdigit() and re.match(r"\d+\(", text[j:j + 12]):  # faces '4(a b c d)'
            k = text.index(")", j)
            p = text.index("(", j)
            out.append(tuple(int(v) for v in text[p + 1:k].split()))
            j = k + 1
        else:
            k = j
            while text[k] not in " \n\t\r)":
                k += 1
            out.append(float(text[j:k]))
            j = k
    return out, text.index(")", j) + 1


def strip_header(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    h = text.find("FoamFile")
    if h >= 0:
        text = text[text.index("}", h) + 1:]
    return text


def read_list(path):
    text = strip_header(open(path).read())
    return tokens_list(text, 0)[0]


def read_field(path):
    """internal values (list) and {patch: list or None} of nonuniform values."""
    text = strip_header(open(path).read())
    i = text.index("internalField")
    if text[i:i + 60].split()[1].startswith("uniform"):
        internal = None
        j = i
    else:
        internal, j = tokens_list(text, i)
    patches = {}
    b = text.index("boundaryField", j)
    for m in re.finditer(r"\n\s*([A-Za-z_][\w.]*)\s*\n\s*\{", text[b:]):
        name = m.group(1)
        start = b + m.end()
        depth, k = 1, start
        while depth:
            if text[k] == "{":
                depth += 1
            elif text[k] == "}":
                depth -= 1
            k += 1
        body = text[start:k]
        v = body.find("value")
        while v >= 0 and not re.match(r"value\s", body[v:v + 6]):
            v = body.find("value", v + 1)
        if v >= 0 and "nonuniform" in body[v:v + 40]:
            patches[name] = tokens_list(body, v)[0]
        elif v >= 0 and "uniform" in body[v:v + 40]:
            val = body[v:].split("uniform", 1)[1].split(";")[0].strip()
            patches[name] = val
    return internal, patches


def read_boundary(path):
    text = strip_header(open(path).read())
    out = {}
    for m in re.finditer(r"([A-Za-z_][\w.]*)\s*\{([^}]*)\}", text):
        body = m.group(2)
        nf = re.search(r"nFaces\s+(\d+)", body)
        sf = re.search(r"startFace\s+(\d+)", body)
        if nf and sf:
            out[m.group(1)] = (int(sf.group(1)), int(nf.group(1)))
    return out


def latest_time(case):
    times = [d for d in os.listdir(case) if re.match(r"^\d+(\.\d+)?$", d) and d != "0"]
    return max(times, key=float)


def read_info(case):
    info = {}
    text = strip_header(open(os.path.join(case, "system", "caseInfo")).read())
    for line in text.splitlines():
        m = re.match(r"\s*(\w+)\s+(.*);\s*$", line)
        if m:
            v = m.group(2).strip('"')
            try:
                v = float(v)
            except ValueError:
                pass
            info[m.group(1)] = v
    return info


def last_value(case, region, fo):
    d = os.path.join(case, "postProcessing", region, fo)
    rows = []
    for t in sorted(os.listdir(d), key=float):
        for f in os.listdir(os.path.join(d, t)):
            for line in open(os.path.join(d, t, f)):
                if line.startswith("#") or not line.strip():
                    continue
                v = line.split()
                rows.append((float(v[0]), float(v[1])))
    rows.sort()
    return rows


def main():
    case, prefix = sys.argv[1], sys.argv[2]
    info = read_info(case)
    t = latest_time(case)
    half_pitch = 0.5 * (info["w"] + info["fin"])
    # ---- mesh and fields, fluid
    mesh = os.path.join(case, "constant", "fluid", "polyMesh")
    pts = read_list(os.path.join(mesh, "points"))
    faces = read_list(os.path.join(mesh, "faces"))
    bnd = read_boundary(os.path.join(mesh, "boundary"))
    xs = sorted(set(round(p[0], 12) for p in pts))
    nx = len(xs) - 1

    def layer(x):
        lo, hi = 0, nx
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if xs[mid] <= x:
                lo = mid
            else:
                hi = mid
        return lo

    fd = os.path.join(case, t, "fluid")
    T, Tb = read_field(os.path.join(fd, "T"))
    U, _ = read_field(os.path.join(fd, "U"))
    rho, _ = read_field(os.path.join(fd, "rho"))
    V, _ = read_field(os.path.join(fd, "V"))
    C, _ = read_field(os.path.join(fd, "C"))
    _, qb = read_field(os.path.join(fd, "wallHeatFlux"))
    num = [0.0] * nx
    den = [0.0] * nx
    for i in range(len(T)):
        j = layer(C[i][0])
        w = rho[i] * U[i][0] * V[i]
        num[j] += w * T[i]
        den[j] += w
    t_bulk = [num[j] / den[j] for j in range(nx)]
    start, nf = bnd["fluid_to_solid"]
    q_f = [0.0] * nx
    a_w = [0.0] * nx
    tw = [0.0] * nx
    floor_t = [0.0] * nx
    floor_a = [0.0] * nx
    qw, twall = qb["fluid_to_solid"], Tb["fluid_to_solid"]
    for k in range(nf):
        f = faces[start + k]
        P = [pts[v] for v in f]
        cx = sum(p[0] for p in P) / 4
        lo = [min(p[d] for p in P) for d in range(3)]
        hi = [max(p[d] for p in P) for d in range(3)]
        ext = [hi[d] - lo[d] for d in range(3)]
        area = ext[0] * (ext[1] if ext[1] > 1e-15 else ext[2])
        j = layer(cx)
        # wallHeatFlux (OpenFOAM v1912) is positive into the fluid
        q_f[j] += qw[k] * area
        a_w[j] += area
        tw[j] += twall[k] * area
        if ext[2] < 1e-15 and abs(lo[2]) < 1e-12:  # the channel floor, z = 0
            floor_t[j] += twall[k] * area
            floor_a[j] += area
    # ---- solid: the fin root under the fin, the heated face
    smesh = os.path.join(case, "constant", "solid", "polyMesh")
    spts = read_list(os.path.join(smesh, "points"))
    sfaces = read_list(os.path.join(smesh, "faces"))
    sbnd = read_boundary(os.path.join(smesh, "boundary"))
    sd = os.path.join(case, t, "solid")
    sT, sTb = read_field(os.path.join(sd, "T"))
    sC, _ = read_field(os.path.join(sd, "C"))
    w2 = 0.5 * info["w"]
    # cells of the fin band nearest z = 0 on either side, per layer and y
    below, above = {}, {}
    for i in range(len(sT)):
        x, y, z = sC[i]
        if y < w2:
            continue
        key = (layer(x), round(y, 12))
        if z < 0 and (key not in below or z > below[key][0]):
            below[key] = (z, sT[i])
        if 0 < z < info["H"] and (key not in above or z < above[key][0]):
            above[key] = (z, sT[i])
    fin_t = [[] for _ in range(nx)]
    for key, (zb, tb) in below.items():
        za, ta = above[key]
        fin_t[key[0]].append(tb + (ta - tb) * (0 - zb) / (za - zb))
    start, nf = sbnd["heated"]
    th = sTb["heated"]
    ht = [0.0] * nx
    ha = [0.0] * nx
    for k in range(nf):
        P = [spts[v] for v in sfaces[start + k]]
        cx = sum(p[0] for p in P) / 4
        area = (max(p[0] for p in P) - min(p[0] for p in P)) * \
               (max(p[1] for p in P) - min(p[1] for p in P))
        j = layer(cx)
        ht[j] += th[k] * area
        ha[j] += area
    # ---- the profile
    rows = []
    for j in range(nx):
        dx = xs[j + 1] - xs[j]
        t_root_floor = floor_t[j] / floor_a[j]
        t_root_fin = sum(fin_t[j]) / len(fin_t[j])  # the fin band's y cells are uniform
        t_root = (t_root_floor * w2 + t_root_fin * (half_pitch - w2)) / half_pitch
        t_wall = tw[j] / a_w[j]
        q = q_f[j]
        rows.append(dict(x0_m=xs[j], x1_m=xs[j + 1], t_bulk_k=t_bulk[j], t_wall_k=t_wall,
                         t_root_k=t_root, t_heated_k=ht[j] / ha[j], q_fluid_w=q,
                         q_in_w=info["flux_w_m2"] * half_pitch * dx,
                         h_wall_w_m2k=q / a_w[j] / (t_wall - t_bulk[j]),
                         h_eff_w_m2k=q / (half_pitch * dx) / (t_root - t_bulk[j])))
    cols = list(rows[0].keys())
    with open(prefix + ".profile.csv", "w") as f:
        f.write("# %s: CFD profile along the flow, one row per cell layer (extract.py)\n"
                % info["case"])
        f.write(",".join(cols) + "\n")
        for r in rows:
            f.write(",".join("%.9g" % r[c] for c in cols) + "\n")
    # ---- scalars, with the iteration record
    p_in = last_value(case, "fluid", "pIn")
    t_out = last_value(case, "fluid", "TOut")
    t_max = last_value(case, "solid", "THeated")

    def drift(series):  # change over the last 100 iterations, relative
        last = series[-1]
        prev = [v for v in series if v[0] <= last[0] - 100]
        return abs(last[1] - prev[-1][1]) / abs(last[1]) if prev else float("nan")

    heat_fluid = sum(q_f)
    heat_in = info["flux_w_m2"] * half_pitch * info["L"]
    summary = [
        ("cells", info["cells"], "1"), ("iterations", float(t), "1"),
        ("channel_width_m", info["w"], "m"), ("channel_height_m", info["H"], "m"),
        ("fin_thickness_m", info["fin"], "m"), ("base_thickness_m", info["t_base"], "m"),
        ("lid_thickness_m", info["t_lid"], "m"), ("path_length_m", info["L"], "m"),
        ("flow_per_path_m3_s", info["q_path_m3_s"], "m^3/s"),
        ("inlet_velocity_m_s", info["u_in"], "m/s"), ("heat_flux_w_m2", info["flux_w_m2"], "W/m^2"),
        ("inlet_t_k", info["t_in_k"], "K"),
        ("dp_channel_pa", p_in[-1][1], "Pa"), ("dp_drift", drift(p_in), "1"),
        ("t_outlet_k", t_out[-1][1], "K"), ("t_outlet_drift", drift(t_out), "1"),
        ("t_heated_max_k", t_max[-1][1], "K"), ("t_heated_max_drift", drift(t_max), "1"),
        ("heat_in_w", heat_in, "W"), ("heat_to_fluid_w", heat_fluid, "W"),
    ]
    with open(prefix + ".summary.csv", "w") as f:
        f.write("# %s: CFD scalars (extract.py); the domain is half a pitch\n" % info["case"])
        f.write("name,value,unit\n")
        for n, v, u in summary:
            f.write("%s,%.9g,%s\n" % (n, v, u))
    mid = rows[nx // 2]
    print("%s: dp %.1f Pa, outlet %.3f K, heated max %.3f K, heat %.4f of %.4f W; "
          "mid-path h_wall %.0f h_eff %.0f" % (info["case"], p_in[-1][1], t_out[-1][1],
                                               t_max[-1][1], heat_fluid, heat_in,
                                               mid["h_wall_w_m2k"], mid["h_eff_w_m2k"]))


if __name__ == "__main__":
    main()
