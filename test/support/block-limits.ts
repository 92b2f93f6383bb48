/**
 * Lists every Slack limit of docs/slack-limits.md that a rendered message or modal breaks, so tests can assert
 * an empty list whatever they rendered.
 */

type Json = Record<string, unknown>;

/** Returns the limits `message` (a `{ text, blocks }` message) breaks, as readable lines. */
export function messageLimitProblems(message: { text: string; blocks: unknown[] }): string[] {
  const problems: string[] = [];
  if (message.blocks.length > 50) problems.push(`${message.blocks.length} blocks > 50`);
  problems.push(...blockProblems(message.blocks as Json[]));
  return problems;
}

/** Returns the limits a modal view breaks. */
export function viewLimitProblems(view: Json): string[] {
  const problems: string[] = [];
  const blocks = view.blocks as Json[];
  if (blocks.length > 100) problems.push(`${blocks.length} blocks > 100`);
  for (const key of ['title', 'submit', 'close']) {
    const text = (view[key] as Json | undefined)?.text as string | undefined;
    if (text !== undefined && text.length > 24) problems.push(`modal ${key} ${text.length} > 24`);
  }
  if (String(view.private_metadata ?? '').length > 3000) problems.push('private_metadata > 3000');
  problems.push(...blockProblems(blocks));
  return problems;
}

function blockProblems(blocks: Json[]): string[] {
  const problems: string[] = [];
  const actionIds = new Set<string>();
  const check = (what: string, text: unknown, max: number) => {
    if (typeof text !== 'string' || text.length === 0) problems.push(`${what} is empty`);
    else if (text.length > max) problems.push(`${what} ${text.length} > ${max}`);
  };
  // Slack wants action ids unique within a block; the renderer keeps a message's buttons unique across it.
  const checkElement = (element: Json, unique = true) => {
    if (unique && typeof element.action_id === 'string') {
      if (actionIds.has(element.action_id)) problems.push(`action_id ${element.action_id} repeated`);
      actionIds.add(element.action_id);
    }
    if (element.type === 'button') {
      check('button text', (element.text as Json).text, 75);
      if (element.value !== undefined) check('button value', element.value, 2000);
      const confirm = element.confirm as Json | undefined;
      if (confirm) {
        check('confirm title', (confirm.title as Json).text, 100);
        check('confirm text', (confirm.text as Json).text, 300);
        check('confirm confirm', (confirm.confirm as Json).text, 30);
        check('confirm deny', (confirm.deny as Json).text, 30);
      }
    }
    for (const option of [...((element.options as Json[]) ?? []), ...((element.initial_options as Json[]) ?? [])]) {
      check('option text', (option.text as Json).text, 75);
      check('option value', option.value, 75);
    }
    if (((element.options as Json[]) ?? []).length > 100) problems.push('more than 100 options');
  };
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        check('header', (block.text as Json).text, 150);
        break;
      case 'section': {
        if (block.text) check('section text', (block.text as Json).text, 3000);
        const fields = (block.fields as Json[] | undefined) ?? [];
        if (fields.length > 10) problems.push(`${fields.length} fields > 10`);
        for (const field of fields) check('field', field.text, 2000);
        if (block.accessory) checkElement(block.accessory as Json);
        break;
      }
      case 'context': {
        const elements = block.elements as Json[];
        if (elements.length > 10) problems.push(`${elements.length} context elements > 10`);
        for (const element of elements) check('context text', element.text, 3000);
        break;
      }
      case 'actions': {
        const elements = block.elements as Json[];
        if (elements.length > 25) problems.push(`${elements.length} actions > 25`);
        for (const element of elements) checkElement(element);
        break;
      }
      case 'input':
        check('input label', (block.label as Json).text, 2000);
        checkElement(block.element as Json, false);
        break;
    }
  }
  return problems;
}
