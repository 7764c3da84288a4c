"""The supervisor's Review workspace (F6): queues, actions on a unit, figures."""
