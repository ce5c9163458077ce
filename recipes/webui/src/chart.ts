// A live line chart of a few series (kbit/s over the last minutes), in SVG.

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 300;
const HEIGHT = 100;

export interface Chart {
  element: SVGSVGElement;
  add(values: number[]): void;
}

export function chart(id: string, names: string[], points = 60): Chart {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT + 14}`);
  svg.setAttribute('id', id);
  svg.setAttribute('class', 'chart');
  const lines = names.map((name, i) => {
    const line = document.createElementNS(NS, 'polyline');
    line.setAttribute('class', `series${i}`);
    line.setAttribute('data-series', name);
    svg.appendChild(line);
    const label = document.createElementNS(NS, 'text');
    label.setAttribute('x', String(4 + i * 110));
    label.setAttribute('y', String(HEIGHT + 12));
    label.setAttribute('class', `series${i}`);
    label.textContent = name;
    svg.appendChild(label);
    return line;
  });
  const top = document.createElementNS(NS, 'text');
  top.setAttribute('x', String(WIDTH - 4));
  top.setAttribute('y', '10');
  top.setAttribute('text-anchor', 'end');
  svg.appendChild(top);
  const data: number[][] = names.map(() => []);
  return {
    element: svg,
    add(values) {
      values.forEach((v, i) => {
        data[i].push(v);
        if (data[i].length > points) data[i].shift();
      });
      const max = Math.max(1, ...data.flat());
      top.textContent = `${max} kbit/s`;
      lines.forEach((line, i) => {
        line.setAttribute('points', data[i].map((v, x) => `${((x * WIDTH) / (points - 1)).toFixed(1)},${(HEIGHT - (v * (HEIGHT - 12)) / max).toFixed(1)}`).join(' '));
      });
    },
  };
}
