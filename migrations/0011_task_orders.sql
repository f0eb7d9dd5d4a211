-- The task list's priority and status orders (highest priority first, then
-- soonest due; open before in progress before done, then soonest due) read
-- from an index like every other order, for the whole list and for the tasks
-- not done yet, so a page never sorts every task.
CREATE INDEX tasks_priority_order_idx ON tasks
    ((CASE priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END) DESC, due_at, id);
CREATE INDEX tasks_open_priority_order_idx ON tasks
    ((CASE priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END) DESC, due_at, id)
    WHERE status <> 'done';
CREATE INDEX tasks_status_order_idx ON tasks
    ((CASE status WHEN 'open' THEN 1 WHEN 'in_progress' THEN 2 ELSE 3 END), due_at, id);
-- The same orders of an agent's own tasks.
CREATE INDEX tasks_assignee_priority_order_idx ON tasks
    (assignee_id, (CASE priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END) DESC, due_at, id);
CREATE INDEX tasks_assignee_open_priority_order_idx ON tasks
    (assignee_id, (CASE priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END) DESC, due_at, id)
    WHERE status <> 'done';
CREATE INDEX tasks_assignee_status_order_idx ON tasks
    (assignee_id, (CASE status WHEN 'open' THEN 1 WHEN 'in_progress' THEN 2 ELSE 3 END), due_at, id);
