/**
 * Contour lines of a sampled function by marching squares: for each level, the segments where the
 * piecewise-linear interpolation of the grid crosses it. Saddle cells (two opposite corners above) are
 * split by the cell's centre value.
 *
 * `values` is row-major, `columns` × `rows`, sample (i, j) at column i, row j. Segments come back as
 * [x0, y0, x1, y1] in grid coordinates (column, row; fractional).
 */
export function contourSegments(values: Float64Array, columns: number, rows: number, level: number): number[] {
  const out: number[] = [];
  const at = (i: number, j: number) => values[j * columns + i]!;
  // Where along the edge from a to b the level is crossed (0…1).
  const cross = (a: number, b: number) => (a === b ? 0.5 : (level - a) / (b - a));
  for (let j = 0; j + 1 < rows; j++) {
    for (let i = 0; i + 1 < columns; i++) {
      const a = at(i, j); // top left
      const b = at(i + 1, j); // top right
      const c = at(i + 1, j + 1); // bottom right
      const d = at(i, j + 1); // bottom left
      if (!(Number.isFinite(a) && Number.isFinite(b) && Number.isFinite(c) && Number.isFinite(d))) continue;
      const code = (a > level ? 8 : 0) | (b > level ? 4 : 0) | (c > level ? 2 : 0) | (d > level ? 1 : 0);
      if (code === 0 || code === 15) continue;
      const top = [i + cross(a, b), j];
      const right = [i + 1, j + cross(b, c)];
      const bottom = [i + cross(d, c), j + 1];
      const left = [i, j + cross(a, d)];
      const seg = (p: number[], q: number[]) => out.push(p[0]!, p[1]!, q[0]!, q[1]!);
      switch (code) {
        case 1:
        case 14:
          seg(left, bottom);
          break;
        case 2:
        case 13:
          seg(bottom, right);
          break;
        case 3:
        case 12:
          seg(left, right);
          break;
        case 4:
        case 11:
          seg(top, right);
          break;
        case 6:
        case 9:
          seg(top, bottom);
          break;
        case 7:
        case 8:
          seg(left, top);
          break;
        case 5:
        case 10: {
          const centre = (a + b + c + d) / 4;
          // 5: b and d above; 10: a and c above. The centre decides which pairs of edges connect.
          const centreAbove = centre > level;
          if ((code === 5) === centreAbove) {
            seg(left, top);
            seg(bottom, right);
          } else {
            seg(top, right);
            seg(left, bottom);
          }
          break;
        }
      }
    }
  }
  return out;
}
