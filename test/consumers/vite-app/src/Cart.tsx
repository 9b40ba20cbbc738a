interface Line {
  name: string;
  price: number;
}

// The cart of a shop whose API answered without `lines`: rendering it throws.
export function Cart({ lines }: { lines?: Line[] }) {
  const total = lines!.reduce((sum, line) => sum + line.price, 0);
  return <p>{total}</p>;
}
