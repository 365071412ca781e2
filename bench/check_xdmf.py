# ParaView check of an ebsim result.xdmf (run by `make verify` when pvbatch
# is installed: Debian packages paraview + python3-paraview).
# usage: pvbatch bench/check_xdmf.py DIR
import sys
from paraview.simple import XDMFReader

r = XDMFReader(FileNames=[sys.argv[1] + "/result.xdmf"])
r.UpdatePipeline()
info = r.GetDataInformation()
b = info.GetBounds()
names = list(r.CellData.keys())
print("ParaView: %d cells, bounds x %.4f..%.4f m, y %.4f..%.4f m, z %.4f..%.4f m" % ((info.GetNumberOfCells(),) + tuple(b)))
for n in names:
    lo, hi = r.CellData[n].GetRange()
    print("  %-24s %10.3f .. %10.3f" % (n, lo, hi))
need = {"temperature_c", "wafer_temperature_c", "heat_flux_plate_w_cm2", "coolant_temperature_c"}
ok = need.issubset(names) and abs(b[1] - b[0] - 0.215) < 1e-9
print("XDMF check:", "ok" if ok else "FAILED")
sys.exit(0 if ok else 1)
