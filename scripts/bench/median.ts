/** The middle value (the upper one of an even count), the one statistic every bench reports. */
export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
