// Demo shop account: "Log in as demo customer" tells Parley who the visitor is, as a real shop
// would on every page once a customer has logged in. A real shop's server computes the userHash
// with the site's identity secret; this demo asks Parley's stand-in for that server
// (/shop/demo-customer), so the secret never reaches the page either way.
(() => {
  const nav = document.querySelector('header.site nav');
  if (!nav) return;
  const read = () => {
    try {
      return JSON.parse(localStorage.getItem('shop:customer') || 'null');
    } catch {
      return null;
    }
  };
  const identify = (customer) =>
    window.Parley('identify', {
      id: customer.id,
      userHash: customer.userHash,
      name: customer.name,
      email: customer.email,
    });
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'link-button';
  const draw = () => {
    const customer = read();
    button.textContent = customer ? `Log out (${customer.name})` : 'Log in as demo customer';
  };
  button.addEventListener('click', async () => {
    if (read()) {
      localStorage.removeItem('shop:customer');
      return draw();
    }
    const response = await fetch('/shop/demo-customer');
    if (!response.ok) return;
    const customer = await response.json();
    localStorage.setItem('shop:customer', JSON.stringify(customer));
    identify(customer);
    draw();
  });
  nav.append(button);
  draw();
  const customer = read();
  if (customer) identify(customer);
})();
