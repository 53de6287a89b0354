// Colours of the control-room theme: red/orange = supply (warm), blue = return (cold).
// Kept in one place so that charts, tiles and compound cards agree.

export const COLOURS = {
  supply: '#ff5a3c',
  supplyPrimary: '#ffa048',
  setpoint: '#ffd8a8',
  return: '#3ea0ff',
  returnPrimary: '#86c5ff',
  flowSecondary: '#3fe0b5',
  flowPrimary: '#b39bff',
  axis: '#8da2bd',
  grid: '#23324a',
  text: '#e6eef8',
} as const;
