/**
 * The cart as the site reports it through events: `cart_updated` with the cart's total
 * (`amount`, `currency`), `add_to_cart` with the amount added, `order_placed` empties it.
 * Amounts may come as numbers or numeric strings ("1 290.50" is not one: the site sends 1290.5).
 */

export interface Cart {
  amount: string | null;
  currency: string | null;
}

const AMOUNT = /^-?\d{1,12}(\.\d{1,2})?$/;

function amountOf(value: unknown): number | null {
  const text = typeof value === 'number' ? String(Math.round(value * 100) / 100) : value;
  return typeof text === 'string' && AMOUNT.test(text.trim()) ? Number(text) : null;
}

function currencyOf(value: unknown): string | null {
  return typeof value === 'string' && /^[A-Za-z]{3}$/.test(value) ? value.toUpperCase() : null;
}

/** The cart after `events` (oldest first), or null when none of them is about the cart. */
export function applyCartEvents(
  before: Cart,
  events: readonly { name: string; props: Record<string, unknown> }[],
): Cart | null {
  let cart: Cart | null = null;
  let current = before;
  for (const { name, props } of events) {
    const amount = amountOf(props.amount);
    const currency = currencyOf(props.currency);
    if (name === 'order_placed') current = { amount: null, currency: null };
    else if (name === 'cart_updated' && amount !== null) current = { amount: amount.toFixed(2), currency };
    else if (name === 'add_to_cart' && amount !== null) {
      const sum = (current.amount ? Number(current.amount) : 0) + amount;
      current = { amount: sum.toFixed(2), currency: currency ?? current.currency };
    } else continue;
    cart = current;
  }
  return cart;
}
