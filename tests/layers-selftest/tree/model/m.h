#ifndef M_H
#define M_H
int m_get(void);
#endif
